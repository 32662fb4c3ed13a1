import { describe, expect, it } from 'vitest';
import { parseCallerIdUrc, parseCcwa, parseClip } from './callerId.ts';

describe('parseClip (27.007 §7.6; gsm-modems.md §10 scenario 3)', () => {
  it.each([
    ['+CLIP: "+27820001234",145,,,,0', { number: '+27820001234', type: 145, validity: 'valid', alpha: null }],
    ['+CLIP: "+27820001234",145,"",128,"",0', { number: '+27820001234', type: 145, validity: 'valid', alpha: null }],
    ['+CLIP: "+27820001234",145,"",0,"",0', { number: '+27820001234', type: 145, validity: 'valid', alpha: null }],
    ['+CLIP: "",128,,,,1', { number: '', type: 128, validity: 'withheld', alpha: null }],
    ['+CLIP: "",128,,,,2', { number: '', type: 128, validity: 'unavailable', alpha: null }],
    ['+CLIP: "",128', { number: '', type: 128, validity: 'unavailable', alpha: null }],
    ['+CLIP: "+7913913ABCA",145', { number: '+7913913ABCA', type: 145, validity: 'valid', alpha: null }],
    ['+CLIP: "0612345678",129', { number: '0612345678', type: 129, validity: 'valid', alpha: null }],
    ['+CLIP: "+420123456789",145,"",128,"",0', { number: '+420123456789', type: 145, validity: 'valid', alpha: null }],
    ['+CLIP: "+27820001234",145', { number: '+27820001234', type: 145, validity: 'valid', alpha: null }],
    ['+CLIP: "+0123456789",145,,,"Alice",0', { number: '+0123456789', type: 145, validity: 'valid', alpha: 'Alice' }],
  ])('%s', (line, expected) => {
    expect(parseClip(line)).toEqual(expected);
  });

  it('never alters the number', () => {
    expect(parseClip('+CLIP: "+7913913ABCA",145')?.number).toBe('+7913913ABCA');
    expect(parseClip('+CLIP: "00 27-82",129')?.number).toBe('00 27-82');
  });

  it('rejects malformed lines', () => {
    expect(parseClip('+CLIP:')).toBeNull();
    expect(parseClip('+CLIP: ')).toBeNull();
    expect(parseClip('CLIP: "1",129')).toBeNull();
  });
});

describe('parseCcwa (27.007 §7.12)', () => {
  it('reads number, type, alpha and validity at their CCWA positions', () => {
    expect(parseCcwa('+CCWA: "+27821231234",145,1,"Bob",0')).toEqual({ number: '+27821231234', type: 145, validity: 'valid', alpha: 'Bob' });
    expect(parseCcwa('+CCWA: "",128,1,,1')).toEqual({ number: '', type: 128, validity: 'withheld', alpha: null });
  });
  it('rejects the query answer form', () => {
    expect(parseCcwa('+CCWA: 1,1')).toBeNull();
  });
  it('types the URC with waiting flag', () => {
    expect(parseCallerIdUrc('+CCWA: "+1",145,1')).toMatchObject({ kind: 'callerId', waiting: true });
    expect(parseCallerIdUrc('+CLIP: "+1",145')).toMatchObject({ kind: 'callerId', waiting: false });
    expect(parseCallerIdUrc('RING')).toBeNull();
  });
});
