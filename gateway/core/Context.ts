import type { CallRegistry } from '../calls/CallRegistry.ts';
import type { ContactBook } from '../calls/ContactBook.ts';
import type { CallbackService } from '../callback/CallbackService.ts';
import type { CampaignService } from '../campaign/CampaignService.ts';
import type { GatewayConfig } from '../config/types.ts';
import type { IvrService } from '../ivr/IvrService.ts';
import type { AgentRoster } from '../queue/AgentRoster.ts';
import type { QueueService } from '../queue/QueueService.ts';
import type { Store } from '../store/Store.ts';
import type { SurveyService } from '../survey/SurveyService.ts';
import type { TrunkSet } from '../trunk/TrunkSet.ts';
import type { Clock } from './Clock.ts';
import type { Logger } from './Logger.ts';
import type { Random } from './Random.ts';
import type { Transactor } from './Transactor.ts';

/**
 * The services of one gateway, wired once by Gateway. Services reach each
 * other through it instead of importing each other's instances, which keeps
 * construction order free of cycles.
 */
export interface Ctx {
  readonly config: GatewayConfig;
  readonly store: Store;
  readonly clock: Clock;
  readonly random: Random;
  readonly log: Logger;
  readonly tx: Transactor;
  readonly calls: CallRegistry;
  readonly contacts: ContactBook;
  readonly agents: AgentRoster;
  readonly trunks: TrunkSet;
  /** Set while a clean stop drains calls: exits then say 'shutdown'. */
  readonly lifecycle: { draining: boolean };
  queues: QueueService;
  callbacks: CallbackService;
  surveys: SurveyService;
  ivr: IvrService;
  campaigns: CampaignService;
}
