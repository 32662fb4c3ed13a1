import type { TrunkPort } from './TrunkPort.ts';

/**
 * A TrunkPort that passes every call to `trunk`, except those in
 * `overrides`: the one place a wrapper (a test's recording trunk, an SMS line
 * a test scripts) needs to list the contract, so a new method is added once.
 */
export function delegateTrunk<X extends object = object>(trunk: TrunkPort, overrides: Partial<TrunkPort> & X = {} as X): TrunkPort & X {
  const base: TrunkPort = {
    get id() {
      return trunk.id;
    },
    get channels() {
      return trunk.channels;
    },
    setListener: (l) => trunk.setListener(l),
    answer: (leg) => trunk.answer(leg),
    play: (leg, prompt, opts) => trunk.play(leg, prompt, opts),
    stopPlay: (leg) => trunk.stopPlay(leg),
    dial: (req) => trunk.dial(req),
    connect: (leg, endpoint, opts) => trunk.connect(leg, endpoint, opts),
    cancelConnect: (leg) => trunk.cancelConnect(leg),
    hangup: (leg) => trunk.hangup(leg),
    health: () => trunk.health(),
  };
  return Object.assign(base, overrides);
}
