import type { GatewayApi } from '../../GatewayApi.ts';
import type { Command } from './commandSchemas.ts';

/** What a configuration reload did: keys applied, and keys that only a restart applies. */
export interface ReloadResult {
  applied: string[];
  needsRestart: string[];
}

/** The gateway operations the cloud may call, and the daemon's reload. */
export type CommandTarget = Pick<
  GatewayApi,
  'setVip' | 'removeVip' | 'agentLogin' | 'agentLogout' | 'agentPause' | 'agentUnpause' | 'submitCampaign' | 'cancelCampaign' | 'cancelCallback' | 'setCounter'
> & {
  reloadConfig(): ReloadResult;
};

/**
 * Apply one validated command through the same operations the local API
 * uses; what it returns goes into the answer. Throws the gateway's coded
 * errors unchanged.
 */
export function applyCommand(t: CommandTarget, cmd: Command): unknown {
  switch (cmd.name) {
    case 'vip_set': {
      const { number, priority, name } = cmd.args;
      return t.setVip({ number, ...(priority !== undefined ? { priority } : {}), ...(name !== undefined ? { name } : {}) }, 'cloud');
    }
    case 'vip_remove':
      return { removed: t.removeVip(cmd.args.number, 'cloud') };
    case 'agent_login':
      return t.agentLogin(cmd.args.agent);
    case 'agent_logout':
      return t.agentLogout(cmd.args.agent);
    case 'agent_pause':
      return t.agentPause(cmd.args.agent, cmd.args.reason);
    case 'agent_unpause':
      return t.agentUnpause(cmd.args.agent);
    case 'campaign_submit':
      return t.submitCampaign(cmd.args.campaign);
    case 'campaign_cancel':
      return t.cancelCampaign(cmd.args.campaignId);
    case 'callback_cancel':
      return t.cancelCallback(cmd.args.callbackId, 'cloud');
    case 'counter_set':
      return t.setCounter(cmd.args.name, cmd.args.value, 'cloud');
    case 'config_reload':
      return t.reloadConfig();
  }
}
