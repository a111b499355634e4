# oidc: what an OpenID provider sends, JWK Sets and ID tokens. Seeds: fuzz/corpus/oidc/ (the
# first byte chooses which: even a JWK Set, odd an ID token).
cc_fuzzer(oidc SRCS fuzz_oidc.cc DEPS clearcut::oidc)
