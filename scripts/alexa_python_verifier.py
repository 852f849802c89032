"""Amazon's Python request verifier (ask-sdk-webservice-support) as a judge and a bench target.

Two uses, both against a test CA instead of Amazon's (the only changes to Amazon's code path
are the two test hooks below, the same ones our server has):

* ``check``: verify one signed request given on the command line; exit 0 if Amazon's verifier
  accepts it. devstack's signer test uses this to show Alexa-shaped signatures are right.
* ``app`` (a WSGI app for gunicorn/flask): Amazon's whole web-service pipeline
  (``WebserviceSkillHandler``: deserialize, verify signature, verify timestamp, dispatch) with a
  trivial skill, answering the same signed requests as our server in ``bench-serve.sh``.

Configuration (both uses): ``ALEXA_CHAIN_FILE`` (the PEM chain, pre-loaded into the verifier's
certificate cache, as a warm server would have it), ``ALEXA_ROOT_FILE`` (the test root, trusted
in addition), ``ALEXA_CERT_URL`` (the SignatureCertChainUrl the chain is cached under).
"""

import os
import re
import sys

# oscrypto 1.3.0 (certvalidator's backend, the newest on PyPI) cannot read OpenSSL version
# strings with a two-digit patch number such as "3.0.19" and refuses to load. Apply upstream's
# fix (a `\d+` in the version pattern) while it is imported; nothing else is changed.
_original_search = re.search


def _search_with_fixed_openssl_pattern(pattern, string, *args, **kwargs):
    if pattern == "\\b(\\d\\.\\d\\.\\d[a-z]*)\\b":
        pattern = "\\b(\\d\\.\\d\\.\\d+[a-z]*)\\b"
    return _original_search(pattern, string, *args, **kwargs)


re.search = _search_with_fixed_openssl_pattern
import oscrypto.asymmetric  # noqa: E402,F401

re.search = _original_search

import certvalidator  # noqa: E402
from asn1crypto import pem  # noqa: E402
from ask_sdk_webservice_support import verifier as amazon_verifier  # noqa: E402


def _configure():
    chain = open(os.environ["ALEXA_CHAIN_FILE"], "rb").read()
    root_pem = open(os.environ["ALEXA_ROOT_FILE"], "rb").read()
    _, _, root_der = pem.unarmor(root_pem)
    original_validator = amazon_verifier.CertificateValidator

    # Test hook 1 (like --extra-trust-anchor): trust the test root besides the system's.
    def validator_with_test_root(end_entity, intermediates=None, **kwargs):
        kwargs.setdefault(
            "validation_context",
            certvalidator.ValidationContext(extra_trust_roots=[root_der]),
        )
        return original_validator(end_entity, intermediates, **kwargs)

    amazon_verifier.CertificateValidator = validator_with_test_root
    request_verifier = amazon_verifier.RequestVerifier()
    # Test hook 2 (like --cert-fetch-base): the chain is already in Amazon's own cache, so
    # nothing is fetched.
    request_verifier._cert_cache[os.environ["ALEXA_CERT_URL"]] = chain
    return request_verifier


def check(signature_cert_chain_url, signature_256, body_file):
    request_verifier = _configure()
    body = open(body_file, "rb").read().decode("utf-8")
    headers = {
        "SignatureCertChainUrl": signature_cert_chain_url,
        "Signature-256": signature_256,
    }
    try:
        request_verifier.verify(headers, body, None)
    except amazon_verifier.VerificationException as error:
        print(f"rejected: {error}")
        return 1
    print("accepted")
    return 0


def make_app():
    from ask_sdk_core.skill_builder import SkillBuilder
    from ask_sdk_webservice_support.webservice_handler import WebserviceSkillHandler
    from flask import Flask, request

    builder = SkillBuilder()

    @builder.request_handler(can_handle_func=lambda handler_input: True)
    def answer(handler_input):
        return handler_input.response_builder.speak("ok").response

    handler = WebserviceSkillHandler(
        skill=builder.create(),
        verify_signature=False,  # replaced by the configured verifier below
        verify_timestamp=True,
        verifiers=[_configure()],
    )
    app = Flask(__name__)

    @app.post("/")
    def skill():
        try:
            return handler.verify_request_and_dispatch(
                dict(request.headers), request.get_data(as_text=True)
            ), 200, {"Content-Type": "application/json"}
        except amazon_verifier.VerificationException:
            return "request verification failed", 400

    return app


if __name__ == "__main__" and len(sys.argv) == 5 and sys.argv[1] == "check":
    sys.exit(check(sys.argv[2], sys.argv[3], sys.argv[4]))
elif __name__ == "__main__":
    print(__doc__)
    sys.exit(2)
else:
    app = make_app() if os.environ.get("ALEXA_CHAIN_FILE") else None
