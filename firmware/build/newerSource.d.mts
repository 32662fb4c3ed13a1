// Types of newerSource.mjs (plain JavaScript so bin/ccgate.mjs loads it without a compiler).
export declare const SOURCE_DIRS: readonly string[];
export declare function newerSource(root: string, since: number): string | null;
