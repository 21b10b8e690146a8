#!/usr/bin/env python3
"""IAM Identity Center and `aws login` profiles, side by side with botocore:
the same profile and the same expiring cache, refreshed once by botocore and
once by cleanroomsml-cli, against one local server playing the SSO portal,
SSO-OIDC and the sign-in service. The cache files each writes back must be
the same (but for the expiry, which depends on the moment), every DPoP proof
must verify, and the CLI's call must reach the emulator signed with the
credentials the portal and the sign-in service handed out.

usage: botocore_signin.py PATH/TO/cleanroomsml-cli PATH/TO/cleanroomsml-emulator
Exits 77 (skipped) without botocore or the cryptography package."""

import base64
import datetime
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

try:
    import botocore  # noqa: F401
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
except ImportError:
    print("botocore or cryptography is not installed: skipped")
    sys.exit(77)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from boto3_custom_models import Emulator  # noqa: E402

KEY, SECRET, SESSION = "ASIAPORTAL", "portal/secret", "portal-session"
REGION = "us-east-1"

# botocore's login provider needs awscrt for its EC keys; this stand-in does
# the same with the cryptography package, in the botocore child process only.
EC_SHIM = r'''
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed, decode_dss_signature
import botocore.credentials
class _Key:
    def __init__(self, key): self.key = key
    def get_public_coords(self):
        n = self.key.public_key().public_numbers()
        return n.x.to_bytes(32, "big"), n.y.to_bytes(32, "big")
    def sign(self, digest): return self.key.sign(digest, ec.ECDSA(Prehashed(hashes.SHA256())))
class _EC:
    @staticmethod
    def new_key_from_der_data(der): return _Key(serialization.load_der_private_key(der, None))
    @staticmethod
    def decode_der_signature_to_padded_pair(sig, pad_to):
        r, s = decode_dss_signature(sig)
        return r.to_bytes(pad_to, "big") + s.to_bytes(pad_to, "big")
botocore.credentials.EC = _EC
'''

BOTOCORE = r'''
import sys
{shim}
import botocore.session
creds = botocore.session.Session(profile=sys.argv[1]).get_credentials().get_frozen_credentials()
print(creds.access_key)
'''


def b64url(data):
    return base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))


class Portal(BaseHTTPRequestHandler):
    """SSO portal, SSO-OIDC and sign-in; records what it was sent."""
    seen = []

    def log_message(self, *_):
        pass

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        Portal.seen.append(("GET", self.path, self.headers.get("x-amz-sso_bearer_token")))
        if not self.path.startswith("/federation/credentials?"):
            return self.reply(404, {"message": "no such path"})
        if self.headers.get("x-amz-sso_bearer_token") != "new-access-token":
            return self.reply(401, {"message": "Session token not found or invalid"})
        self.reply(200, {"roleCredentials": {"accessKeyId": KEY, "secretAccessKey": SECRET,
                                             "sessionToken": SESSION, "expiration": 4102444800000}})

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Portal.seen.append(("POST", self.path, body))
        if self.path == "/token":
            assert body == {"clientId": "client-id-1", "clientSecret": "client-secret-1",
                            "grantType": "refresh_token", "refreshToken": "refresh-token-1"}, body
            return self.reply(200, {"accessToken": "new-access-token", "expiresIn": 28800,
                                    "refreshToken": "refresh-token-2", "tokenType": "Bearer"})
        if self.path == "/v1/token":
            self.check_dpop()
            assert body["grantType"] == "refresh_token" and body["refreshToken"] == "login-refresh-1", body
            return self.reply(200, {
                "accessToken": {"accessKeyId": KEY, "secretAccessKey": SECRET, "sessionToken": SESSION},
                "tokenType": "aws_sigv4", "expiresIn": 900, "refreshToken": "login-refresh-2"})
        self.reply(404, {"message": "no such path"})

    def check_dpop(self):
        header, payload, signature = self.headers["DPoP"].split(".")
        h, p, sig = json.loads(b64url(header)), json.loads(b64url(payload)), b64url(signature)
        assert h["typ"] == "dpop+jwt" and h["alg"] == "ES256" and h["jwk"]["crv"] == "P-256", h
        assert p["htm"] == "POST" and p["htu"].endswith("/v1/token"), p
        x, y = (int.from_bytes(b64url(h["jwk"][c]), "big") for c in ("x", "y"))
        key = ec.EllipticCurvePublicNumbers(x, y, ec.SECP256R1()).public_key()
        der = encode_dss_signature(int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big"))
        key.verify(der, f"{header}.{payload}".encode(), ec.ECDSA(hashes.SHA256()))  # raises if forged


def without_expiry(text, path):
    """The cache text with its expiry replaced, and the expiry."""
    doc = json.loads(text)
    holder = doc
    for key in path[:-1]:
        holder = holder[key]
    when = datetime.datetime.strptime(holder[path[-1]], "%Y-%m-%dT%H:%M:%SZ")
    return text.replace(holder[path[-1]], "<expiry>"), when


def main(cli, emulator_exe):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Portal)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    mock = f"http://127.0.0.1:{server.server_address[1]}"
    home = tempfile.mkdtemp(prefix="cleanroomsml-signin-")
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                            serialization.NoEncryption()).decode()
    login_arn = "arn:aws:iam::111122223333:user/alice"
    now = datetime.datetime.now(datetime.timezone.utc)
    soon = lambda minutes: (now + datetime.timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")
    os.makedirs(f"{home}/.aws")
    with open(f"{home}/.aws/config", "w") as f:
        f.write(f"""[profile dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Analyst
region = {REGION}

[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = {REGION}
sso_registration_scopes = sso:account:access

[profile console]
login_session = {login_arn}
region = {REGION}
""")
    sso_file = f"{home}/.aws/sso/cache/{hashlib.sha1(b'corp').hexdigest()}.json"
    login_file = f"{home}/.aws/login/cache/{hashlib.sha256(login_arn.encode()).hexdigest()}.json"
    # As `aws sso login` and `aws login` leave them, about to expire.
    sso_cache = json.dumps({"startUrl": "https://corp.awsapps.com/start", "region": REGION,
                            "accessToken": "old-access-token", "expiresAt": soon(5), "clientId": "client-id-1",
                            "clientSecret": "client-secret-1", "registrationExpiresAt": soon(60 * 24 * 30),
                            "refreshToken": "refresh-token-1"})
    login_cache = json.dumps({"accessToken": {"accessKeyId": "ASIAOLD", "secretAccessKey": "old",
                                              "sessionToken": "old", "accountId": "111122223333",
                                              "expiresAt": soon(2)},
                              "tokenType": "aws_sigv4", "clientId": "arn:aws:signin:::devtools/same-device",
                              "refreshToken": "login-refresh-1", "idToken": "id-token", "dpopKey": pem})
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(HOME=home, AWS_ENDPOINT_URL_SSO=mock, AWS_ENDPOINT_URL_SSO_OIDC=mock, AWS_ENDPOINT_URL_SIGNIN=mock,
               AWS_EC2_METADATA_DISABLED="true")

    def reset():
        for path, text in ((sso_file, sso_cache), (login_file, login_cache)):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(text)

    def read(path):
        with open(path) as f:
            return f.read()

    try:
        with Emulator(emulator_exe, "--access-key-id", KEY, "--secret-access-key", SECRET, "--region", REGION,
                      "--quiet") as emulator:
            for profile, path, expiry in (("dev", sso_file, ["expiresAt"]),
                                          ("console", login_file, ["accessToken", "expiresAt"])):
                reset()
                got = subprocess.run([sys.executable, "-c", BOTOCORE.format(shim=EC_SHIM), profile], env=env,
                                     capture_output=True, text=True, timeout=60)
                assert got.returncode == 0 and got.stdout.strip() == KEY, f"botocore: {got.stdout} {got.stderr}"
                theirs = read(path)
                reset()
                got = subprocess.run([cli, "--profile", profile, "--endpoint-url", emulator.url,
                                      "list-training-datasets"], env=env, capture_output=True, text=True, timeout=60)
                assert got.returncode == 0, f"cleanroomsml-cli: {got.stdout} {got.stderr}"
                assert "trainingDatasets" in got.stdout, got.stdout
                ours = read(path)
                a, a_when = without_expiry(theirs, expiry)
                b, b_when = without_expiry(ours, expiry)
                assert a == b, f"{profile}: botocore wrote\n{theirs}\ncleanroomsml wrote\n{ours}"
                assert abs((a_when - b_when).total_seconds()) < 30, (a_when, b_when)
                assert oct(os.stat(path).st_mode & 0o777) == "0o600", oct(os.stat(path).st_mode)
                print(f"{profile}: the same cache file as botocore's ({len(ours)} bytes)")
        sso_calls = [s for s in Portal.seen if s[1] == "/token"]
        login_calls = [s for s in Portal.seen if s[1] == "/v1/token"]
        assert len(sso_calls) == 2 and len(login_calls) == 2, Portal.seen
    finally:
        server.shutdown()
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main(*sys.argv[1:3])
