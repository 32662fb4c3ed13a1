/**
 * V8 heap limits the daemon is meant to run with on a Pi (the systemd unit
 * passes them in NODE_OPTIONS). The core's live heap stays near 20 MB over a
 * record day; without limits V8 lets garbage pile up to ~200 MB RSS before
 * collecting, which a 1 GB board with a browser wallboard cannot spare.
 * `npm run bench` measures the daemon with exactly these.
 */
export const DEPLOY_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2', '--max-old-space-size=96'];
