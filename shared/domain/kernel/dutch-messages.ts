import { nl } from 'zod/locales';
import * as z from 'zod/mini';

// Messages a reporter reads are Dutch; zod's own Dutch locale covers the generic ones. Imported for
// this effect by every schema module whose errors reach a person.
z.config(nl());
