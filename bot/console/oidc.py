"""Single sign-on with the organisation's OpenID Connect provider (Microsoft Entra ID,
Google Workspace, Okta, Keycloak): the authorisation code flow with PKCE, state and
nonce. authlib makes the PKCE challenge and the random values; joserfc (authlib's own
JOSE library, which authlib now points to) checks the ID token's signature against the
provider's published keys, and its issuer, audience, expiry and nonce."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import aiohttp
from authlib.common.security import generate_token  # type: ignore[import-untyped]
from authlib.oauth2.rfc7636 import create_s256_code_challenge  # type: ignore[import-untyped]
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry
from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.core.clock import Clock
from bot.core.config import env_file
from storage.console_sso import SsoAttempt

TIMEOUT = aiohttp.ClientTimeout(total=15)
ALGORITHMS = ["RS256", "ES256", "PS256"]


class OidcSettings(BaseSettings):
    """EXIT_OIDC_*: the provider's issuer address and this console's registration there."""

    model_config = SettingsConfigDict(env_prefix="EXIT_OIDC_", env_file=None, extra="ignore")

    issuer: str | None = None
    client_id: str | None = None
    client_secret: SecretStr | None = None
    label: str = "your organisation's account"
    scopes: str = "openid email profile"

    @property
    def ready(self) -> bool:
        """Whether single sign-on is configured at all."""
        return bool(self.issuer and self.client_id and self.client_secret)


def load_oidc_settings() -> OidcSettings:
    """The single sign-on settings from the environment and the deployment's .env file."""
    return OidcSettings(_env_file=env_file())


class SignOnRefused(Exception):
    """The provider's answer cannot be trusted; `reason` is for the log and audit."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Provider:
    """Where the provider's pages and keys are, from its discovery document."""

    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str


def random_value() -> str:
    """A state, nonce or PKCE verifier: 48 random URL-safe characters."""
    return str(generate_token(48))


class OidcClient:
    """Talks to one provider for the console."""

    def __init__(self, settings: OidcSettings, clock: Clock) -> None:
        assert settings.ready
        self.settings = settings
        self.clock = clock
        self._provider: Provider | None = None

    @property
    def issuer(self) -> str:
        return str(self.settings.issuer).rstrip("/")

    async def provider(self) -> Provider:
        """The provider's discovery document, fetched once; its issuer must be ours."""
        if self._provider is None:
            found = await _get_json(f"{self.issuer}/.well-known/openid-configuration")
            if str(found.get("issuer", "")).rstrip("/") != self.issuer:
                raise SignOnRefused("discovery_issuer_mismatch")
            self._provider = Provider(
                str(found["authorization_endpoint"]),
                str(found["token_endpoint"]),
                str(found["jwks_uri"]),
            )
        return self._provider

    async def authorize_url(self, redirect_uri: str, state: str, nonce: str, verifier: str) -> str:
        """Where to send the browser to sign in at the provider."""
        provider = await self.provider()
        query = {
            "response_type": "code",
            "client_id": str(self.settings.client_id),
            "redirect_uri": redirect_uri,
            "scope": self.settings.scopes,
            "state": state,
            "nonce": nonce,
            "code_challenge": str(create_s256_code_challenge(verifier)),
            "code_challenge_method": "S256",
        }
        return f"{provider.authorization_endpoint}?{urlencode(query)}"

    async def email_for(self, code: str, redirect_uri: str, attempt: SsoAttempt) -> str:
        """Exchange the code (with the PKCE verifier) for an ID token, check it, and return
        the e-mail address it vouches for; SignOnRefused otherwise."""
        provider = await self.provider()
        secret = self.settings.client_secret
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "client_id": str(self.settings.client_id),
            "client_secret": secret.get_secret_value() if secret else "",
            "code_verifier": attempt.verifier,
        }
        async with (
            aiohttp.ClientSession(timeout=TIMEOUT) as session,
            session.post(provider.token_endpoint, data=form) as response,
        ):
            if response.status != 200:
                raise SignOnRefused(f"code_refused_{response.status}")
            answer = await response.json()
        id_token = answer.get("id_token") if isinstance(answer, dict) else None
        if not isinstance(id_token, str):
            raise SignOnRefused("no_id_token")
        keys = KeySet.import_key_set(await _get_json(provider.jwks_uri))  # type: ignore[arg-type]
        try:
            token = jwt.decode(id_token, keys, algorithms=ALGORITHMS)
            JWTClaimsRegistry(
                now=int(self.clock().timestamp()),
                leeway=60,
                iss={"essential": True, "value": self.issuer},
                aud={"essential": True, "value": str(self.settings.client_id)},
                exp={"essential": True},
                nonce={"essential": True, "value": attempt.nonce},
            ).validate(token.claims)
        except JoseError as error:
            raise SignOnRefused(f"id_token_{error.error}") from error
        except ValueError as error:
            raise SignOnRefused("id_token_unreadable") from error
        return _email(token.claims)


def _email(claims: dict[str, object]) -> str:
    """The verified work address the token names (Entra may give it only as the
    preferred user name)."""
    if claims.get("email_verified") is False:
        raise SignOnRefused("email_not_verified")
    for name in ("email", "preferred_username", "upn"):
        value = claims.get(name)
        if isinstance(value, str) and "@" in value:
            return value
    raise SignOnRefused("no_email")


async def _get_json(url: str) -> dict[str, object]:
    async with (
        aiohttp.ClientSession(timeout=TIMEOUT) as session,
        session.get(url) as response,
    ):
        if response.status != 200:
            raise SignOnRefused(f"provider_answered_{response.status}")
        found = await response.json(content_type=None)
    if not isinstance(found, dict):
        raise SignOnRefused("provider_answer_unreadable")
    return found
