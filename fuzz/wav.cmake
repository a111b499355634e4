# The WAV sample reader and writer `clearcut stamp` marks sound through (clearcut::stamp).
# Seeds: fuzz/corpus/wav/ (16-bit stereo, 24-bit WAVE_FORMAT_EXTENSIBLE, 32-bit float; written
# by hand).
cc_fuzzer(wav SRCS fuzz_wav.cc DEPS clearcut::stamp)
