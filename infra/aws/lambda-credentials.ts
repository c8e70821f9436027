/**
 * Stands in for @aws-sdk/credential-provider-node in the Lambda bundles (an esbuild alias, see
 * bundling.ts). Lambda always puts the execution role's credentials in the environment, so the
 * default chain's SSO, INI, process, web-identity and container providers, and the STS and SSO
 * clients they carry, are dead weight: about 135 KB of every bundle. Locally the SDK's own chain runs.
 */
export { fromEnv as defaultProvider } from '@aws-sdk/credential-provider-env';
