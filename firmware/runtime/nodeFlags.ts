/**
 * V8 heap limits the daemon is meant to run with on a Pi (the systemd unit
 * passes them in NODE_OPTIONS, so only flags Node accepts there). The core's
 * live heap stays near 20 MB over a record day; without limits V8 lets
 * garbage pile up to ~200 MB RSS before collecting, which a 1 GB board with a
 * browser wallboard cannot spare. `npm run bench` measures the daemon with
 * exactly these.
 *
 * A 1 MB semi-space (the young generation's half) rather than 2: about 4 MB
 * less peak RSS on the record day and 1–2 MB less idle, at the same CPU
 * (more, cheaper scavenges). Measured and left out (docs/build.md):
 * `--lite-mode` (−12 MB idle, −27 MB peak, +65 % CPU), `--no-opt` (−7 MB
 * idle, +30 % CPU), `--optimize-for-size` (+40 % CPU), a smaller old space or
 * `--heap-growing-percent` (no gain beyond the noise), and `--no-sparkplug`
 * (−3 MB idle at the same CPU, but Node refuses it in NODE_OPTIONS).
 */
export const DEPLOY_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1', '--max-old-space-size=96'];
