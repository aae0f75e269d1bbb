/** The message `fn` throws (fails the test when it does not throw), for exact `toBe` assertions. */
export function thrownMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  throw new Error('expected the call to throw, but it returned');
}

/** The message a promise rejects with (fails the test when it resolves). */
export async function rejectionMessage(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  throw new Error('expected the promise to reject, but it resolved');
}
