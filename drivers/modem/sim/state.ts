/**
 * The fake modem's settings and scriptable network/SIM state. `ModemSettings`
 * are the volatile ones a real modem forgets on reboot (27.007 defaults, echo
 * ON as after power-up, V.250 §6.2.4); `ModemStatus` survives a reboot.
 */

export type ModemFamily = 'sim800' | 'sim7600' | 'quectel' | 'huawei';

/** Identification strings answered to ATI / AT+CGMI / +CGMM / +CGMR / +CGSN / +CIMI / +CCID. */
export interface ModemIdentity {
  manufacturer: string;
  model: string;
  revision: string;
  imei: string;
  imsi: string;
  iccid: string;
}

/** Volatile settings (reset by ATZ and by a reboot). */
export interface ModemSettings {
  echo: boolean;
  /** AT+CMEE: 0 bare ERROR, 1 numeric, 2 verbose. */
  cmee: 0 | 1 | 2;
  clip: boolean;
  /** AT+CRC=1: `+CRING: VOICE` instead of `RING`. */
  crc: boolean;
  /** AT+CLCC=1 (SIMCom): `+CLCC:` URCs on call changes. */
  clccUrc: boolean;
  creg: number;
  cereg: number;
  cgreg: number;
  /** AT+CNMI `<mt>`: 0 = no `+CMTI`. */
  cnmiMt: number;
  /** AT+CNMI `<ds>`: 0 no status reports, 1 routed as `+CDS`, 2 stored and announced with `+CDSI`. */
  cnmiDs: number;
  /** AT+CMGF: 0 PDU, 1 text. */
  cmgf: 0 | 1;
  cscs: string;
  csmp: string;
  /** DTMF detection enabled (AT+DDET=1, AT+QTONEDET=1, AT^DDTMFCFG=0,1). */
  dtmfDetect: boolean;
  /** SIM800 AT+DDET reportMode: 1 adds `,<duration ms>`. */
  dtmfReportMode: number;
  /** Quectel AT+QINDCFG="ccinfo",1. */
  ccinfo: boolean;
  /** Quectel AT+QINDCFG="ring",0 suppresses RING. */
  ringUrc: boolean;
  /** S-registers written (V.250 §6.3.9), by number; unwritten ones read 0. The driver's resync marker reads one back. */
  sRegisters: Record<number, number>;
}

export function defaultSettings(): ModemSettings {
  return {
    echo: true,
    cmee: 0,
    clip: false,
    crc: false,
    clccUrc: false,
    creg: 0,
    cereg: 0,
    cgreg: 0,
    // SIM800/EC25 power up with AT+CNMI=2,1,0,0,0: new messages are announced.
    cnmiMt: 1,
    cnmiDs: 0,
    cmgf: 0,
    cscs: 'GSM',
    csmp: '17,167,0,0',
    dtmfDetect: false,
    dtmfReportMode: 0,
    ccinfo: false,
    ringUrc: true,
    sRegisters: {},
  };
}

export type SimState = 'READY' | 'SIM PIN' | 'SIM PUK' | 'NOT INSERTED';

/** Registration per 27.007 +CREG: stat 1 home, 5 roaming, 0/2/3/4 not registered. */
export interface Registration {
  stat: number;
  lac: string;
  ci: string;
  /** Access technology: 0 GSM, 2 UTRAN, 7 E-UTRAN. */
  act: number;
}

/** State that survives a reboot; tests script it through the FakeModem setters. */
export interface ModemStatus {
  sim: SimState;
  rssi: number;
  ber: number;
  registration: Registration;
  operator: string;
  /** AT+CFUN level: 1 full, 0 minimum (radio off). */
  cfun: number;
}

/** 27.007 §9.2 numeric +CME ERROR codes used by the fake, with their verbose texts (AT+CMEE=2). */
export const CME_TEXT: Readonly<Record<number, string>> = {
  3: 'operation not allowed',
  4: 'operation not supported',
  10: 'SIM not inserted',
  11: 'SIM PIN required',
  12: 'SIM PUK required',
  21: 'invalid index',
  30: 'no network service',
  100: 'unknown',
};
