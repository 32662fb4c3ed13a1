/**
 * What a board shows at one instant, decided once by the wallboard runtime
 * and handed to every display driver. Drivers only place it on their
 * hardware: they never compute a figure, a level or a label.
 */

/** Severity of a figure against its thresholds. */
export type Level = 'ok' | 'warn' | 'crit';

export type Lang = 'en' | 'fa' | 'zh';

/** The board kinds the config accepts. */
export type BoardKind = 'alpha' | 'ht16k33' | 'max7219' | 'web';

/**
 * Items a board can show. `counter:<name>` is an external counter set
 * through the API (emails waiting, chats, …).
 */
export type FigureId =
  | 'callsWaiting'
  | 'longestWait'
  | 'agentsReady'
  | 'agentsOnCall'
  | 'agentsPaused'
  | 'serviceLevelToday'
  | 'serviceLevelHour'
  | 'answered'
  | 'abandoned'
  | 'callbacksPending'
  | 'surveyMean'
  | 'agentsNeeded'
  // The cloud link (a unit with `sync:`): its state, events not yet delivered, the oldest one's age, the last command.
  | 'cloudLink'
  | 'outboxDepth'
  | 'outboxAge'
  | 'lastCommand'
  // Channels in service across the trunks: red when a trunk is down (a span under an alarm, a modem lost).
  | 'linesInService';
export type ItemId = FigureId | `counter:${string}`;

/** One figure, formatted for the board's language. */
export interface ItemView {
  id: ItemId;
  /** Full label in the board's language, logical order (e.g. "در انتظار", "排队", "Waiting"). */
  label: string;
  /** At most 4 Latin characters for segment displays (e.g. "WAIT", "SL"). */
  short: string;
  /** The value in the board's digits (Persian digits on fa), or the placeholder `--` when stale. */
  value: string;
  /** The same value in Western digits and ASCII (segment displays, Alpha STRINGs). */
  latin: string;
  level: Level;
  /** No fresh figure (counter past its freshness limit, no data yet): `value` is the placeholder. */
  stale: boolean;
}

/** A supervisor broadcast shown in turn with the figures. */
export interface BoardMessage {
  text: string;
  level: 'info' | 'critical';
  /** Epoch ms when it stops being shown. */
  until: number;
}

export interface BoardView {
  boardId: string;
  kind: BoardKind;
  lang: Lang;
  /** Reading direction of the board's language. */
  dir: 'ltr' | 'rtl';
  /** The instant described (epoch ms). */
  at: number;
  /**
   * `live`: fresh figures. `placeholder`: no live figures (starting, stopped,
   * daemon gone): every value is `--` and nothing is coloured as an alarm.
   */
  state: 'live' | 'placeholder';
  /** Scope name in the board's language: the site or the team. */
  title: string;
  /** Localised date (Jalali with Persian digits on fa) and time, for boards that show a clock line. */
  date: string;
  time: string;
  /** Every configured item, in order. */
  items: ItemView[];
  /** Items split into pages; `page` is the one on show now (the runtime rotates it). */
  pages: ItemView[][];
  page: number;
  /** The active supervisor message, if any; `messageTurn` is true while it has the board. */
  message: BoardMessage | null;
  messageTurn: boolean;
  /** Brightness 0 (dimmest visible) to 15 (brightest), from the board's schedule. */
  brightness: number;
}
