// rpio 2.x ships no types; RpioLines.ts declares the part it uses (RpioModule).
declare module 'rpio' {
  const rpio: unknown;
  export default rpio;
}
