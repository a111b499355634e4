# match: the registry export loader (files from elsewhere: a registry export, a copied index)
# and the index built from whatever loads. Seeds: fuzz/corpus/match_index/.
cc_fuzzer(match_index SRCS fuzz_match_index.cc DEPS clearcut::match)
