/**
 * The devices the config names (modem ports and their audio ttys, Alpha
 * signs, I2C buses, SPI chip selects): present, a character device, open to
 * the service user, and not held by something else — above all
 * ModemManager, which probes every new ttyUSB/ttyACM and can leave a voice
 * modem half-configured (77-ccgate-modems.rules keeps it away).
 */
import { statSync, realpathSync, type Stats } from 'node:fs';
import type { CcgateConfig } from '../config/CcgateConfig.ts';
import type { Account } from '../install/accounts.ts';
import { fail, ok, warn, type Finding } from './Finding.ts';
import type { ProcScan } from './processes.ts';
import { underRoot } from './underRoot.ts';

export interface ConfiguredDevice {
  path: string;
  /** Who uses it, for the message: "trunk gsm1", "board lobby". */
  user: string;
  /** Serial ports are what ModemManager grabs. */
  serial: boolean;
}

export function configuredDevices(config: CcgateConfig): ConfiguredDevice[] {
  const out: ConfiguredDevice[] = [];
  for (const t of config.trunks) {
    if (t.type !== 'modem') continue;
    out.push({ path: t.port, user: `trunk ${t.id}`, serial: true });
    if (t.audio.port !== null) out.push({ path: t.audio.port, user: `trunk ${t.id} (audio)`, serial: true });
  }
  for (const b of config.wallboard.boards) {
    const c = b.connection;
    if (c.kind === 'alpha') out.push({ path: c.port, user: `board ${b.id}`, serial: true });
    else if (c.kind === 'ht16k33') out.push({ path: `/dev/i2c-${c.bus}`, user: `board ${b.id}`, serial: false });
    else if (c.kind === 'max7219') out.push({ path: `/dev/spidev${c.spiBus}.${c.spiDevice}`, user: `board ${b.id}`, serial: false });
  }
  return out;
}

function canOpen(st: Stats, account: Account | null): boolean {
  if (account === null) return false;
  if ((st.mode & 0o006) === 0o006) return true;
  if (st.uid === account.uid && (st.mode & 0o600) === 0o600) return true;
  const inGroup = st.gid === account.gid || [...account.groups.values()].includes(st.gid);
  return inGroup && (st.mode & 0o060) === 0o060;
}

export interface DeviceCheckInput {
  root: string;
  devices: readonly ConfiguredDevice[];
  account: Account | null;
  procs: ProcScan;
  /** The service's main process (systemctl MainPID), 0 when unknown: its holding a port is expected. */
  servicePid: number;
  /** Whether the ModemManager-ignore rule is installed. */
  mmRuleInstalled: boolean;
}

export function checkDevices(i: DeviceCheckInput): Finding[] {
  const findings: Finding[] = [];
  const mmPids = [...i.procs.running].filter(([, comm]) => comm === 'ModemManager').map(([pid]) => pid);
  for (const d of i.devices) {
    const at = underRoot(i.root, d.path);
    let real: string;
    let st: Stats;
    try {
      real = realpathSync(at);
      st = statSync(real);
    } catch {
      findings.push(fail('ports', `${d.path} (${d.user}) is missing`, d.serial ? 'plug the device in, or correct the port in the config (ls -l /dev/serial/by-id/ lists USB serial devices by name)' : 'enable the bus (raspi-config, or dtparam=i2c_arm=on / dtparam=spi=on in config.txt) and reboot'));
      continue;
    }
    if (!st.isCharacterDevice()) {
      findings.push(fail('ports', `${d.path} (${d.user}) is not a character device`, 'correct the port in the config'));
      continue;
    }
    const holders = (i.procs.holders.get(real) ?? []).filter((h) => h.pid !== i.servicePid);
    const mm = holders.filter((h) => h.comm === 'ModemManager');
    if (mm.length > 0) {
      findings.push(fail('modemmanager', `ModemManager (pid ${mm.map((h) => h.pid).join(', ')}) has ${d.path} (${d.user}) open`, i.mmRuleInstalled ? 'the modem is not in 77-ccgate-modems.rules: add its vendor id there, or systemctl disable --now ModemManager' : 'run ccgate install (it adds 77-ccgate-modems.rules), or systemctl disable --now ModemManager'));
      continue;
    }
    if (holders.length > 0) {
      findings.push(warn('ports', `${d.path} (${d.user}) is also open in ${holders.map((h) => `${h.comm} (pid ${h.pid})`).join(', ')}`, 'stop that program: two programs on one serial port corrupt each other'));
      continue;
    }
    if (!canOpen(st, i.account)) {
      findings.push(fail('ports', `${d.path} (${d.user}) cannot be opened by the ccgate user (mode ${(st.mode & 0o777).toString(8)}, group ${st.gid})`, 'run ccgate install (it adds the user to dialout, gpio, i2c and spi and installs the udev rules), then udevadm trigger'));
      continue;
    }
    findings.push(ok('ports', `${d.path} (${d.user}) present and open to ccgate`));
  }
  if (mmPids.length > 0 && !findings.some((f) => f.check === 'modemmanager')) {
    const serial = i.devices.some((d) => d.serial);
    if (serial && !i.mmRuleInstalled) findings.push(warn('modemmanager', `ModemManager runs (pid ${mmPids.join(', ')}) and the rule keeping it away from modems is not installed`, 'run ccgate install, or systemctl disable --now ModemManager'));
    else findings.push(ok('modemmanager', `ModemManager runs but holds no configured port`));
  } else if (mmPids.length === 0) {
    findings.push(ok('modemmanager', i.procs.hidden > 0 && i.procs.running.size === 0 ? 'cannot see processes (run as root)' : 'not running'));
  }
  if (i.procs.hidden > 0) findings.push(warn('ports', `could not see the open files of ${i.procs.hidden} process(es)`, 'run ccgate doctor as root to see who holds each port'));
  return findings;
}
