import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../gateway/core/errors.ts';
import { parseConfig } from './loadConfig.ts';

function issues(yaml: string): Array<{ path: string; expected: string }> {
  try {
    parseConfig(yaml, 'branch.yaml');
  } catch (e) {
    if (e instanceof ConfigError) return [...e.issues];
    throw e;
  }
  throw new Error('expected a ConfigError, the config was accepted');
}

describe('modem trunks in the config', () => {
  it('fills every default for a minimal modem trunk and keeps sim trunks without a type', () => {
    const c = parseConfig(['trunks:', '  - { id: gsm1, type: modem, port: /dev/serial/by-id/usb-Quectel_EC25-if02 }', '  - { id: lab, channels: 4 }'].join('\n'), 'branch.yaml');
    expect(c.trunks).toEqual([
      {
        id: 'gsm1',
        type: 'modem',
        channels: 1,
        port: '/dev/serial/by-id/usb-Quectel_EC25-if02',
        baudRate: 115200,
        autoBaud: true,
        rtscts: false,
        family: 'auto',
        connect: 'conference',
        audio: { kind: 'auto', port: null, promptDir: './prompts' },
        sms: { mode: 'pdu' },
        dtmfDetect: true,
        powerCycle: null,
      },
      { id: 'lab', type: 'sim', channels: 4, bridge: 'ownChannel' },
    ]);
  });

  it('names the key and what was expected for each mistake', () => {
    const got = issues(
      [
        'trunks:',
        '  - { id: a, type: modm, port: /dev/ttyUSB0 }',
        '  - { id: b, type: modem, port: /dev/ttyUSB1, baudRate: 1234, family: sim900, connect: bridge }',
        '  - { id: c, type: modem }',
        '  - { id: d, type: modem, port: /dev/ttyUSB3, channels: 2, powerCycle: [] }',
      ].join('\n'),
    );
    const by = Object.fromEntries(got.map((i) => [i.path, i.expected]));
    expect(by['trunks[0].type']).toMatch(/expected type 'sim', 'modem' or 'e1', got 'modm'/);
    expect(by['trunks[1].baudRate']).toMatch(/baud rate: one of .*115200.*got 1234/);
    expect(by['trunks[1].family']).toMatch(/one of 'auto', 'sim800', 'sim7600', 'quectel', 'huawei', 'generic'/);
    expect(by['trunks[1].connect']).toMatch(/one of 'conference', 'transfer'/);
    expect(by['trunks[2].port']).toMatch(/serial device path/);
    expect(by['trunks[3].channels']).toMatch(/1 \(a modem is one line\)/);
    expect(by['trunks[3].powerCycle']).toMatch(/non-empty command/);
  });

  it('rejects two trunks with one id whatever their types', () => {
    const got = issues(['trunks:', '  - { id: gsm1, type: modem, port: /dev/ttyUSB0 }', '  - { id: gsm1 }'].join('\n'));
    expect(got.map((i) => i.path)).toContain('trunks[1].id');
  });
});
