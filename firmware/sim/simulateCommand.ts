import type { SimulateOptions } from '../cli/commands.ts';
import { runSimulation } from './simulate.ts';

/** `ccgate simulate`: run the real core in virtual time and print its KPIs beside Erlang C. */
export async function simulateCommand(opts: SimulateOptions): Promise<number> {
  const r = runSimulation({ callsPerHour: opts.callsPerHour, ahtSec: opts.ahtSec, agents: opts.agents, patienceSec: opts.patienceSec, hours: opts.hours, seed: opts.seed });
  if (opts.json) {
    process.stdout.write(JSON.stringify(r, null, 2) + '\n');
    return 0;
  }
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  const m = r.measured;
  const lines = [
    `offered load      ${r.offeredLoadErlangs.toFixed(2)} Erlangs on ${r.input.agents} agents, ${r.input.hours} h, seed ${r.input.seed}`,
    `trunk             ${r.input.trunkChannels} channels (a waiting call holds 1, a call with an agent 2)`,
    // Blocked calls never reach the gateway, so they are shown here or nowhere.
    `calls offered     ${m.offered}: blocked ${m.blocked} (${pct(m.blockedShare)}), entered queue ${m.entered}` + (m.endedBeforeQueue ? `, ended before queue ${m.endedBeforeQueue}` : ''),
    `queue outcome     answered ${m.answered} (${pct(m.answerRate)} of offered), abandoned ${m.abandoned}`,
    `service level     ${pct(m.serviceLevel)} within ${r.input.serviceLevelSec} s` + (r.erlangC ? `   (Erlang C ${pct(r.erlangC.serviceLevel)})` : ''),
    `ASA               ${m.asaSec.toFixed(1)} s` + (r.erlangC ? `   (Erlang C ${r.erlangC.asaSec.toFixed(1)} s)` : ''),
    `P(wait)           ${pct(m.probWait)}` + (r.erlangC ? `   (Erlang C ${pct(r.erlangC.probWait)})` : ''),
    `occupancy         ${pct(m.occupancy)} (measured window only)`,
    `wall time         ${(r.wallMs / 1000).toFixed(1)} s`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}
