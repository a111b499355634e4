# blob: the content sniffer, which reads uploaded evidence files (ZIP directories, OLE compound
# files, text) from anyone with a role that may attach.
cc_fuzzer(content_sniffer SRCS fuzz_content_sniffer.cc DEPS clearcut::blob)
