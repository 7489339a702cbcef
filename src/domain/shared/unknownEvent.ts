/**
 * The `default` branch of every `evolve` switch. At compile time it proves the switch is
 * exhaustive (the argument must be `never`); at run time an event type this code does not
 * know (written by a newer version during a rolling deploy) leaves the state unchanged
 * instead of making the whole stream unreadable. Old schemas are upcast before evolve.
 */
export const ignoreUnknownEvent = <S>(_event: never, state: S): S => state;
