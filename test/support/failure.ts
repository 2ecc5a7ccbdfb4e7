/** Runs `send` and returns what it threw; fails the test if it did not throw. */
export async function failureOf(send: Promise<unknown>): Promise<unknown> {
  try {
    await send;
  } catch (err) {
    return err;
  }
  throw new Error('expected the send to fail');
}
