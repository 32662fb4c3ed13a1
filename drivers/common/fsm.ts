/**
 * The smallest typed table FSM (STYLE.md rule 17, after zwave-js
 * `core/src/fsm/FSM.ts`): a machine is a table from state to the inputs it
 * handles; each handler is a pure function returning the next state. An input
 * a state does not list leaves the state unchanged (and is reported as
 * unhandled, so callers can log it).
 */

/** Inputs are tagged unions on `kind`. */
export interface FsmInput {
  readonly kind: string;
}

/** A handler for input kind `K` in any state of `S`. */
export type FsmHandler<S extends string, I extends FsmInput, K extends I['kind']> = (state: S, input: Extract<I, { kind: K }>) => S;

/** The machine: for each state, the inputs it reacts to. */
export type FsmTable<S extends string, I extends FsmInput> = Record<S, Partial<{ [K in I['kind']]: FsmHandler<S, I, K> }>>;

export interface FsmStep<S extends string> {
  from: S;
  to: S;
  /** False when the state has no row for this input (the state is kept). */
  handled: boolean;
}

/** Apply `input` to `state` through `table`: pure, no side effects. */
export function fsmStep<S extends string, I extends FsmInput>(table: FsmTable<S, I>, state: NoInfer<S>, input: I): FsmStep<S> {
  // The mapped row type cannot be indexed by the union `I['kind']` without
  // widening; the table's construction already checked each handler's input type.
  const handler = (table[state] as Partial<Record<string, (s: S, i: I) => S>>)[input.kind];
  if (!handler) return { from: state, to: state, handled: false };
  return { from: state, to: handler(state, input), handled: true };
}

/** Every (state, input kind) pair the table lists: for tests that check each row is covered. */
export function fsmRows<S extends string, I extends FsmInput>(table: FsmTable<S, I>): Array<{ state: S; kind: I['kind'] }> {
  const rows: Array<{ state: S; kind: I['kind'] }> = [];
  for (const state of Object.keys(table) as S[]) {
    const row = table[state] as Partial<Record<string, unknown>>;
    for (const kind of Object.keys(row) as Array<I['kind']>) if (row[kind] !== undefined) rows.push({ state, kind });
  }
  return rows;
}
