/**
 * The one place the updater meets the release package (firmware/release):
 * the bundle verified against the unit's trust store and this machine's
 * target, before anything on the unit changes.
 */
import type { Manifest } from '../release/manifest.ts';
import { currentTarget } from '../release/manifest.ts';
import { TrustStore } from '../release/trustStore.ts';
import { verifyBundle } from '../release/verifyBundle.ts';

export interface CheckedBundle {
  manifest: Manifest;
  /** Write the release's files, manifest.json and manifest.sig into `dir`, re-checking every hash. */
  extractTo(dir: string): Promise<void>;
}

/** @throws ReleaseError with the code of the first problem found (refused: nothing changed). */
export async function checkBundle(bundlePath: string, trustStorePath: string): Promise<CheckedBundle> {
  const trust = TrustStore.load(trustStorePath);
  const verified = await verifyBundle(bundlePath, { trust, target: currentTarget() });
  return { manifest: verified.manifest, extractTo: (dir) => verified.extractTo(dir) };
}
