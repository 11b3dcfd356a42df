// The FAL keys a CLI run may hold, from its environment: FAL_KEY for the queue and the platform API,
// and FAL_ADMIN_KEY (the app's billing key) - never sent by the CLI, but a proxy given both may name
// it, so it is kept out of everything the CLI prints or stores just the same.

export const cliFalKey = (): string | null => process.env.FAL_KEY?.trim() || null;
export const cliOtherKeys = (): (string | null)[] => [process.env.FAL_ADMIN_KEY?.trim() || null];
