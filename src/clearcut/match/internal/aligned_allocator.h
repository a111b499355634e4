#pragma once

#include <cstddef>
#include <new>

namespace clearcut::match::internal {

// A std::allocator that aligns to kAlignment bytes: 32-byte codes on a 64-byte boundary never
// straddle a cache line, so a random lookup costs one line.
template <typename T, size_t kAlignment = 64>
struct AlignedAllocator {
  using value_type = T;

  AlignedAllocator() = default;
  template <typename U>
  AlignedAllocator(const AlignedAllocator<U, kAlignment>&) {}  // NOLINT: implicit, as required

  T* allocate(size_t n) {
    return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t{kAlignment}));
  }
  void deallocate(T* p, size_t) { ::operator delete(p, std::align_val_t{kAlignment}); }

  template <typename U>
  struct rebind {
    using other = AlignedAllocator<U, kAlignment>;
  };

  friend bool operator==(const AlignedAllocator&, const AlignedAllocator&) { return true; }
};

}  // namespace clearcut::match::internal
