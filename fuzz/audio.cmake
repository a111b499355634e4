# audio: stored audio fingerprints (the API's and the assets row's audio_fingerprint), decoded
# and paired into landmarks. Seeds: fuzz/corpus/audio_fingerprint/.
cc_fuzzer(audio_fingerprint SRCS fuzz_audio_fingerprint.cc DEPS clearcut::audio)
