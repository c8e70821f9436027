import { App } from 'aws-cdk-lib';
import { buildApp } from './app.js';

// The entry `cdk` runs (cdk.json); needs no AWS credentials to synthesise.
const app = new App();
buildApp(app);
app.synth();
