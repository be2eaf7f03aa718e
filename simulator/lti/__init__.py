"""CounterTalk as an LTI 1.3 tool (docs/lti.md): the JOSE and LTI rules, without a web server.

    claims     the claim names and message types of LTI 1.3, Deep Linking 2.0 and AGS 2.0
    keys       the tool's own RSA keys: kept in the store, rotated, published as a JWKS
    platforms  a platform's registration (presets for Moodle and Canvas) and its key set
    launch     an id_token checked: signature against the platform's JWKS, then iss, aud,
               exp, nonce (once only) and deployment id, into a typed :class:`Launch`
    deeplink   the signed reply to a deep-linking request (the tutor's chosen exercise)
    grades     scores queued in the store's outbox and posted with AGS (exactly once)

Why PyJWT directly and not pylti1p3 (or its fork pylti1p3next): pylti1p3's launch, cookie,
session and cache adapters are synchronous and written for Django and Flask, it keeps the nonce
in a framework session or cache, and it posts grades straight away with ``requests``. Here the
nonce must be used once across processes (the store), a score must wait in the store's outbox
while the VLE is down, and the aiohttp server runs the blocking parts in its thread pool. What
LTI asks of a tool's JOSE is small (RS256 signatures, a JWKS, four claims checked), and PyJWT
does it with the ``cryptography`` back end, offline.

Headless: no aiohttp here (the routes are in :mod:`simulator.web.lti`).
"""
