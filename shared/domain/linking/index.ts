/** Linking: recognising that a new signal concerns a person signalled before, by pseudonym only. Empty until it lands. */
export {};
