/**
 * Optional OpenID Connect sign-in (councils use Microsoft Entra ID: issuer
 * https://login.microsoftonline.com/<tenant>/v2.0). Authorisation code flow with PKCE and state.
 * People must already have a CSP Hub account (by invitation); the first OIDC sign-in links the account by email.
 */
import * as client from 'openid-client';

export interface OidcStart {
  url: string;
  /** Kept in a short-lived cookie until the identity provider sends the browser back. */
  state: string;
  codeVerifier: string;
}

export interface OidcIdentity {
  subject: string;
  email: string;
  name: string;
}

/** How CSP Hub is registered with the organisation's identity provider (the OIDC_* settings). */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** Label on the sign-in button, e.g. "Sign in with Microsoft". */
  label: string;
}

export class OidcClient {
  private discovered: Promise<client.Configuration> | null = null;
  constructor(readonly settings: OidcConfig) {}

  private configuration(): Promise<client.Configuration> {
    if (!this.discovered) {
      const insecure = this.settings.issuer.startsWith('http://');
      this.discovered = client
        .discovery(new URL(this.settings.issuer), this.settings.clientId, this.settings.clientSecret || undefined, undefined, insecure ? { execute: [client.allowInsecureRequests] } : undefined)
        .catch((e: unknown) => {
          this.discovered = null;
          throw e;
        });
    }
    return this.discovered;
  }

  async start(): Promise<OidcStart> {
    const config = await this.configuration();
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUri,
      scope: 'openid email profile',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
    });
    return { url: url.href, state, codeVerifier };
  }

  async finish(callbackUrl: URL, state: string, codeVerifier: string): Promise<OidcIdentity> {
    const config = await this.configuration();
    const tokens = await client.authorizationCodeGrant(config, callbackUrl, { pkceCodeVerifier: codeVerifier, expectedState: state });
    const claims = tokens.claims();
    if (!claims) throw new Error('The identity provider returned no ID token');
    const text = (v: unknown): string => (typeof v === 'string' ? v : '');
    const email = (text(claims.email) || text(claims.preferred_username)).toLowerCase();
    if (!email) throw new Error('The identity provider did not share an email address');
    return { subject: `${claims.iss}|${claims.sub}`, email, name: text(claims.name) || email };
  }
}
