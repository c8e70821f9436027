import type { S3Event } from 'aws-lambda';
import { emailIntakePorts } from '../lib/dependencies.js';
import { eventHandler } from '../lib/middleware.js';
import { mailEventHandler } from './mail-event.js';

/** S3 ObjectCreated (SES stored a message in the mail bucket): the e-mail channel's intake. */
export const handler = eventHandler<S3Event, void>(mailEventHandler(emailIntakePorts()));
