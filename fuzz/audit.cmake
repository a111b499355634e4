# audit: the signed-note and checkpoint parsers (untrusted input: notes from clients and peers).
cc_fuzzer(checkpoint SRCS fuzz_checkpoint.cc DEPS clearcut::audit)
