#pragma once

#include <cstddef>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace clearcut::match::internal {

// The allocator of the index's large arrays. Small blocks are aligned to a cache line, so a
// 32-byte code never straddles two lines. Blocks of kHugeBytes and more are aligned to 2 MiB
// and offered to the kernel as transparent huge pages (madvise; Debian's default THP mode only
// backs such regions): random probes over gigabytes then miss the cache but not the TLB.
template <typename T>
struct AlignedAllocator {
  using value_type = T;
  static constexpr size_t kLineBytes = 64;
  static constexpr size_t kHugePageBytes = size_t{2} << 20;
  static constexpr size_t kHugeBytes = size_t{4} << 20;

  AlignedAllocator() = default;
  template <typename U>
  AlignedAllocator(const AlignedAllocator<U>&) {}  // NOLINT: implicit, as allocators must be

  T* allocate(size_t n) {
    const size_t bytes = n * sizeof(T);
    if (bytes < kHugeBytes) {
      return static_cast<T*>(::operator new (bytes, std::align_val_t{kLineBytes}));
    }
    const size_t rounded = (bytes + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes;
    void* p = ::operator new (rounded, std::align_val_t{kHugePageBytes});
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    (void)madvise(p, rounded, MADV_HUGEPAGE);  // advice only: without it, 4 KiB pages
#endif
    return static_cast<T*>(p);
  }

  void deallocate(T* p, size_t n) {
    const size_t bytes = n * sizeof(T);
    if (bytes < kHugeBytes) {
      ::operator delete (p, std::align_val_t{kLineBytes});
    } else {
      ::operator delete (p, std::align_val_t{kHugePageBytes});
    }
  }

  friend bool operator==(const AlignedAllocator&, const AlignedAllocator&) {
    return true;
  }
};

}  // namespace clearcut::match::internal
