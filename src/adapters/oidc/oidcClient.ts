/**
 * The OpenID Connect adapter: optional sign-in with an organisation account (councils use Microsoft Entra ID: issuer
 * https://login.microsoftonline.com/<tenant>/v2.0), authorisation code flow with PKCE and state. It isolates the
 * identity provider and the openid-client library behind `OrganisationSignIn` (discovery, start, finish): the
 * sign-in pages see only a label, a URL to send the browser to and, at the end, the confirmed identity.
 * Matching that identity to a CSP Hub account (by email; people join by invitation) is
 * src/services/identity/organisationSignIn.ts.
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

/** What the sign-in pages use of the organisation's identity provider. */
export interface OrganisationSignIn {
  /** Label on the sign-in button, e.g. "Sign in with Microsoft". */
  readonly label: string;
  /** Where to send the browser, and what to keep until it comes back (the provider is discovered on first use). */
  start(): Promise<OidcStart>;
  /** Checks the provider's answer on the callback URL against what start() kept; the identity it confirms. */
  finish(callbackUrl: URL, state: string, codeVerifier: string): Promise<OidcIdentity>;
}

/** OrganisationSignIn over openid-client, configured by the OIDC_* settings. */
export class OidcClient implements OrganisationSignIn {
  private discovered: Promise<client.Configuration> | null = null;
  constructor(readonly settings: OidcConfig) {}

  get label(): string {
    return this.settings.label;
  }

  private configuration(): Promise<client.Configuration> {
    if (!this.discovered) {
      const insecure = this.settings.issuer.startsWith('http://');
      this.discovered = client
        .discovery(
          new URL(this.settings.issuer),
          this.settings.clientId,
          this.settings.clientSecret || undefined,
          undefined,
          insecure ? { execute: [client.allowInsecureRequests] } : undefined,
        )
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
