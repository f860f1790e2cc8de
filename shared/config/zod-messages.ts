/**
 * English messages for every zod issue. `zod/mini`, the entry point Lambda bundles use, loads
 * no locale, so its issues would all read "Invalid input". Every module that turns issues into
 * text imports this one for its effect; zod reads the locale when it reports an issue, so
 * importing it anywhere before the first parse is enough.
 *
 * @example
 * ```ts
 * import "../config/zod-messages";
 * ```
 */
import { en } from "zod/locales";
import * as z from "zod/mini";

// The one locale by name: the `z.locales` namespace would bundle every language.
z.config(en());
