# The approval certificate readers (untrusted input: files people bring to verify-certificate):
# the JSON file and the PDF that carries it.
cc_fuzzer(certificate SRCS fuzz_certificate.cc DEPS clearcut::clearance)
