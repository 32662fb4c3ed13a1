/**
 * The short commands that talk to a running daemon through its local API:
 * `status`, `agent …` and `campaign …`.
 */
import { renderSms } from '../view/renderSms.ts';
import { renderBoards } from '../view/renderBoards.ts';
import { renderStorage } from '../view/renderStorage.ts';
import type { ApiClient } from '../api/ApiClient.ts';
import type { CampaignSpec } from '../../gateway/GatewayApi.ts';
import type { KpiSnapshot } from '../../gateway/kpi/types.ts';
import { isCcgateError } from '../../gateway/core/errors.ts';
import { renderStatusText } from '../view/renderStatus.ts';
import { readCampaignFile } from './campaignFile.ts';

/** Where command output goes; main.ts binds it to process.stdout/stderr, tests to strings. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Terminal width, or undefined when stdout is not a terminal. */
  columns: number | undefined;
}

/** `ccgate status [--json]`. */
export async function statusCommand(client: ApiClient, opts: { json: boolean }, io: CliIo): Promise<number> {
  const snapshot = await client.snapshot();
  let kpis: KpiSnapshot | null = null;
  try {
    kpis = await client.kpis();
  } catch (e) {
    // The live state is still worth showing if only the KPI aggregation failed.
    if (isCcgateError(e, 'DAEMON_NOT_RUNNING')) throw e;
    io.err(`warning: KPIs unavailable: ${(e as Error).message}\n`);
  }
  // Boards are reported beside the core's state; an older daemon without the route has none.
  const boards = await client.wallboard().catch(() => []);
  if (opts.json) io.out(JSON.stringify({ snapshot, kpis, boards: boards.map(({ view: _view, config: _config, ...health }) => health) }, null, 2) + '\n');
  else io.out(renderStatusText(snapshot, kpis, { width: io.columns ?? 100, ...(snapshot.timeZone ? { timeZone: snapshot.timeZone } : {}) }) + renderBoards(boards, snapshot, false) + renderSms(snapshot, false, snapshot.timeZone) + renderStorage(snapshot, false, snapshot.timeZone));
  return 0;
}

/** Agent state changes. */
export type AgentAction = 'login' | 'logout' | 'pause' | 'unpause';

/** `ccgate agent login|logout|pause|unpause ID`. `reason` is required for pause (checked by main). */
export async function agentCommand(client: ApiClient, action: AgentAction, agentId: string, reason: string | null, io: CliIo): Promise<number> {
  switch (action) {
    case 'login':
      await client.agentLogin(agentId);
      io.out(`agent ${agentId} logged in\n`);
      break;
    case 'logout':
      await client.agentLogout(agentId);
      io.out(`agent ${agentId} logged out\n`);
      break;
    case 'pause':
      await client.agentPause(agentId, reason ?? '');
      io.out(`agent ${agentId} paused (${reason ?? ''})\n`);
      break;
    case 'unpause':
      await client.agentUnpause(agentId);
      io.out(`agent ${agentId} unpaused\n`);
      break;
  }
  return 0;
}

/** Options of `ccgate campaign submit`; the optional limits default to the site's `campaigns` settings. */
export interface CampaignSubmitOptions {
  file: string;
  name: string;
  prompt: string;
  maxConcurrent?: number;
  callsPerMinute?: number;
  agentQueue?: string;
  /** SMS to a target not reached after its last attempt. */
  sms?: string;
}

/** `ccgate campaign submit FILE …`: parse the target list locally (errors name file and line), then submit. */
export async function campaignSubmitCommand(client: ApiClient, opts: CampaignSubmitOptions, io: CliIo): Promise<number> {
  const { targets, duplicatesRemoved } = await readCampaignFile(opts.file);
  const spec: CampaignSpec = { name: opts.name, prompt: opts.prompt, targets };
  if (opts.maxConcurrent !== undefined) spec.maxConcurrent = opts.maxConcurrent;
  if (opts.callsPerMinute !== undefined) spec.callsPerMinute = opts.callsPerMinute;
  if (opts.agentQueue !== undefined) spec.agentQueue = opts.agentQueue;
  if (opts.sms !== undefined) spec.smsFallback = opts.sms;
  const res = await client.submitCampaign(spec);
  const dup = duplicatesRemoved > 0 ? ` (${duplicatesRemoved} duplicate${duplicatesRemoved === 1 ? '' : 's'} removed)` : '';
  io.out(`campaign ${res.campaignId} submitted: ${res.targets} targets${dup}\n`);
  return 0;
}

/** `ccgate campaign cancel ID`. */
export async function campaignCancelCommand(client: ApiClient, campaignId: string, io: CliIo): Promise<number> {
  await client.cancelCampaign(campaignId);
  io.out(`campaign ${campaignId} canceled\n`);
  return 0;
}
