cc_fuzzer(declaration SRCS fuzz_declaration.cc DEPS clearcut::domain)
cc_fuzzer(policy_pack SRCS fuzz_policy_pack.cc DEPS clearcut::policy)
