# The photo metadata readers and writer (clearcut::xmp: the XMP label, EXIF, ICC and XMP through
# exiv2 and expat). Seeds: fuzz/corpus/photo_metadata/ (16x16 pictures made by ffmpeg, their
# EXIF, ICC and XMP blocks written by hand).
cc_fuzzer(photo_metadata SRCS fuzz_photo_metadata.cc DEPS clearcut::xmp clearcut::media)
