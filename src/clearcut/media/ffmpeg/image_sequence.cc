#include "clearcut/media/ffmpeg/image_sequence.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string_view>
#include <system_error>
#include <vector>

namespace clearcut::media {
namespace {

namespace fs = std::filesystem;
using base::Error;
using base::ErrorCode;

// A file name split around its frame number.
struct NameTemplate {
  std::string prefix;
  std::string suffix;
  int padding = 0;  // 0: unpadded (%d)
};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// "shot_%04d.png", "shot_%d.png" ("%%" is a literal '%').
std::optional<NameTemplate> parse_printf(std::string_view name) {
  NameTemplate t;
  bool found = false;
  std::string* out = &t.prefix;
  for (size_t i = 0; i < name.size(); ++i) {
    if (name[i] != '%') {
      out->push_back(name[i]);
      continue;
    }
    if (i + 1 < name.size() && name[i + 1] == '%') {
      out->push_back('%');
      ++i;
      continue;
    }
    size_t j = i + 1;
    std::string width;
    while (j < name.size() && is_digit(name[j])) {
      width.push_back(name[j++]);
    }
    // Only %d and %0Nd: a second number, space padding or anything else is no sequence.
    const bool padded = width.size() >= 2 && width.size() <= 3 && width[0] == '0';
    if (found || j >= name.size() || name[j] != 'd' || (!width.empty() && !padded)) {
      return std::nullopt;
    }
    t.padding = padded ? std::stoi(width.substr(1)) : 0;
    if (padded && (t.padding < 1 || t.padding > 18)) {
      return std::nullopt;
    }
    found = true;
    out = &t.suffix;
    i = j;
  }
  if (!found) {
    return std::nullopt;
  }
  return t;
}

// "frame.####.exr": one run of '#', its length the padding.
std::optional<NameTemplate> parse_hashes(std::string_view name) {
  const size_t first = name.find('#');
  if (first == std::string_view::npos) {
    return std::nullopt;
  }
  size_t last = first;
  while (last < name.size() && name[last] == '#') {
    ++last;
  }
  if (name.find('#', last) != std::string_view::npos) {
    return std::nullopt;
  }
  return NameTemplate{std::string(name.substr(0, first)), std::string(name.substr(last)),
                      static_cast<int>(last - first)};
}

// "frame.0001.exr": the last run of digits before the extension.
std::optional<NameTemplate> parse_example(std::string_view name) {
  size_t end = name.rfind('.');
  if (end == std::string_view::npos || end == 0) {
    end = name.size();
  }
  size_t stop = end;
  while (stop > 0 && !is_digit(name[stop - 1])) {
    --stop;
  }
  if (stop == 0) {
    return std::nullopt;
  }
  size_t start = stop;
  while (start > 0 && is_digit(name[start - 1])) {
    --start;
  }
  return NameTemplate{std::string(name.substr(0, start)), std::string(name.substr(stop)),
                      static_cast<int>(stop - start)};
}

// The number in `name` if it fits the template: exactly `padding` digits, or more without a
// leading zero (a padded sequence outgrowing its padding); unpadded numbers have no leading
// zero.
std::optional<int64_t> number_in(std::string_view name, const NameTemplate& t) {
  if (name.size() <= t.prefix.size() + t.suffix.size() || !name.starts_with(t.prefix) ||
      !name.ends_with(t.suffix)) {
    return std::nullopt;
  }
  const std::string_view digits =
      name.substr(t.prefix.size(), name.size() - t.prefix.size() - t.suffix.size());
  if (digits.size() > 18 || !std::all_of(digits.begin(), digits.end(), is_digit)) {
    return std::nullopt;
  }
  const auto size = static_cast<int>(digits.size());
  const bool leading_zero = digits.size() > 1 && digits[0] == '0';
  if (t.padding == 0 ? leading_zero : (size < t.padding || (size > t.padding && leading_zero))) {
    return std::nullopt;
  }
  int64_t n = 0;
  for (char c : digits) {
    n = n * 10 + (c - '0');
  }
  return n;
}

// Whether `name` holds a printf conversion ("%d", "%4d", "%s"), as opposed to a literal '%'
// ("100%_01.png") or "%%".
bool has_conversion(std::string_view name) {
  for (size_t i = 0; i < name.size(); ++i) {
    if (name[i] != '%') {
      continue;
    }
    size_t j = i + 1;
    if (j < name.size() && name[j] == '%') {
      i = j;
      continue;
    }
    while (j < name.size() && is_digit(name[j])) {
      ++j;
    }
    if (j < name.size() && std::isalpha(static_cast<unsigned char>(name[j])) != 0) {
      return true;
    }
  }
  return false;
}

std::string escape_percent(std::string_view s) {
  std::string out;
  for (char c : s) {
    out.push_back(c);
    if (c == '%') {
      out.push_back('%');
    }
  }
  return out;
}

}  // namespace

base::Result<ImageSequence> find_image_sequence(const std::string& pattern) {
  const fs::path path(pattern);
  const std::string name = path.filename().string();
  std::optional<NameTemplate> t = parse_printf(name);
  if (!t && !has_conversion(name)) {
    t = parse_hashes(name);
    if (!t) {
      t = parse_example(name);
    }
  }
  if (!t) {
    return Error(ErrorCode::kInvalidArgument,
                 "image sequence '" + pattern +
                     "': the file name holds no frame number (%04d, ####, or digits)");
  }
  const fs::path folder = path.has_parent_path() ? path.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) {
    return Error(ErrorCode::kNotFound,
                 "image sequence '" + pattern + "': no folder " + folder.string());
  }
  std::vector<int64_t> numbers;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code type_ec;
    if (!it->is_regular_file(type_ec)) {
      continue;
    }
    if (auto n = number_in(it->path().filename().string(), *t)) {
      numbers.push_back(*n);
    }
  }
  if (ec) {
    return Error(ErrorCode::kUnavailable, "image sequence '" + pattern + "': cannot list " +
                                              folder.string() + ": " + ec.message());
  }
  if (numbers.empty()) {
    return Error(ErrorCode::kNotFound, "image sequence '" + pattern + "': no file matches");
  }
  std::sort(numbers.begin(), numbers.end());
  ImageSequence seq;
  seq.padding = t->padding;
  seq.first_number = numbers.front();
  seq.last_number = numbers.back();
  seq.file_count = static_cast<int64_t>(numbers.size());
  for (size_t i = 1; i < numbers.size(); ++i) {
    if (numbers[i] != numbers[i - 1] + 1) {
      seq.first_missing = numbers[i - 1] + 1;
      break;
    }
  }
  const std::string number =
      t->padding == 0 ? std::string("%d") : "%0" + std::to_string(t->padding) + "d";
  const std::string file = escape_percent(t->prefix) + number + escape_percent(t->suffix);
  seq.pattern = path.has_parent_path() ? (folder / file).string() : file;
  return seq;
}

}  // namespace clearcut::media
