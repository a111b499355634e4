# The image container parsers (JPEG, PNG, WebP through clearcut::media) and the PDQ hash of what
# they decode. Seeds: fuzz/corpus/image/ (tiny files made with media's encoders and by hand).
cc_fuzzer(image SRCS fuzz_image.cc DEPS clearcut::media clearcut::pdq)
