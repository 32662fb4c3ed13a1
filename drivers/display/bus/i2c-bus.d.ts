// The part of i2c-bus 5.x (README "Class PromisifiedBus") this driver uses; the package ships no types.
declare module 'i2c-bus' {
  export interface PromisifiedBus {
    i2cWrite(address: number, length: number, buffer: Buffer): Promise<{ bytesWritten: number; buffer: Buffer }>;
    close(): Promise<void>;
  }
  export function openPromisified(busNumber: number, options?: { forceAccess?: boolean }): Promise<PromisifiedBus>;
}
