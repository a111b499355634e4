#include "clearcut/provenance/xmp/xmp_packet.h"

#include <expat.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <vector>

#include "clearcut/provenance/c2pa/digital_source_type.h"

namespace clearcut::xmp {

namespace {

// Expat joins a namespaced name as "<namespace URI><separator><local name>".
constexpr char kSeparator = '\x01';
constexpr std::string_view kRdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
constexpr std::string_view kIptcExt = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/";
constexpr std::string_view kMediaManagement = "http://ns.adobe.com/xap/1.0/mm/";
constexpr std::string_view kSourceTypeVocabulary = "cv.iptc.org/newscodes/digitalsourcetype/";
constexpr std::string_view kC2paVocabulary = "c2pa.org/digitalsourcetype/";

std::string name_of(std::string_view ns, std::string_view local) {
  return std::string(ns) + kSeparator + std::string(local);
}

enum class Property { kNone, kSourceType, kInstanceId };

Property property_of(const char* name) {
  static const std::string kSourceType = name_of(kIptcExt, "DigitalSourceType");
  static const std::string kInstanceId = name_of(kMediaManagement, "InstanceID");
  if (kSourceType == name) {
    return Property::kSourceType;
  }
  if (kInstanceId == name) {
    return Property::kInstanceId;
  }
  return Property::kNone;
}

struct ParseState {
  XML_Parser parser = nullptr;
  std::vector<std::string> source_types;
  std::optional<std::string> instance_id;
  int depth = 0;
  std::string damage;
  // The property element being read, and its text so far.
  Property open = Property::kNone;
  int open_depth = 0;
  std::string text;
};

void stop(ParseState& state, std::string why) {
  if (state.damage.empty()) {
    state.damage = std::move(why) + " (line " +
                   std::to_string(XML_GetCurrentLineNumber(state.parser)) + ", column " +
                   std::to_string(XML_GetCurrentColumnNumber(state.parser) + 1) + ")";
  }
  XML_StopParser(state.parser, XML_FALSE);
}

void take(ParseState& state, Property property, std::string value) {
  // Surrounding whitespace is layout, not value (XMP writers indent element content).
  const auto space = [](unsigned char c) {
    return std::isspace(c) != 0;
  };
  value.erase(value.begin(), std::find_if_not(value.begin(), value.end(), space));
  value.erase(std::find_if_not(value.rbegin(), value.rend(), space).base(), value.end());
  if (value.empty()) {
    return;
  }
  if (property == Property::kSourceType) {
    state.source_types.push_back(std::move(value));
  } else if (property == Property::kInstanceId && !state.instance_id) {
    state.instance_id = std::move(value);
  }
}

void XMLCALL on_start(void* data, const XML_Char* name, const XML_Char** attributes) {
  auto& state = *static_cast<ParseState*>(data);
  if (++state.depth > kMaxPacketDepth) {
    stop(state, "nested deeper than " + std::to_string(kMaxPacketDepth) + " elements");
    return;
  }
  static const std::string kResource = name_of(kRdf, "resource");
  std::optional<std::string> resource_value;
  // A property given as an attribute (rdf:Description's shorthand), or this element's own
  // rdf:resource when the element is the property.
  for (const XML_Char** a = attributes; *a != nullptr; a += 2) {
    if (Property p = property_of(a[0]); p != Property::kNone) {
      take(state, p, a[1]);
    } else if (kResource == a[0]) {
      resource_value = a[1];
    }
  }
  if (state.open != Property::kNone) {
    return;  // inside a property: a struct or a language alternative; its text still counts
  }
  if (Property p = property_of(name); p != Property::kNone) {
    if (resource_value) {
      take(state, p, *resource_value);
      return;
    }
    state.open = p;
    state.open_depth = state.depth;
    state.text.clear();
  }
}

void XMLCALL on_end(void* data, const XML_Char* /*name*/) {
  auto& state = *static_cast<ParseState*>(data);
  if (state.open != Property::kNone && state.depth == state.open_depth) {
    take(state, state.open, std::move(state.text));
    state.open = Property::kNone;
    state.text.clear();
  }
  --state.depth;
}

void XMLCALL on_text(void* data, const XML_Char* text, int length) {
  auto& state = *static_cast<ParseState*>(data);
  if (state.open != Property::kNone && state.text.size() < 4096) {
    state.text.append(text, static_cast<size_t>(length));
  }
}

void XMLCALL on_doctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  stop(*static_cast<ParseState*>(data), "a DOCTYPE, which XMP never has");
}

void XMLCALL on_entity(void* data, const XML_Char*, int, const XML_Char*, int, const XML_Char*,
                       const XML_Char*, const XML_Char*, const XML_Char*) {
  stop(*static_cast<ParseState*>(data), "an entity declaration, which XMP never has");
}

bool contains_ignoring_case(std::string_view text, std::string_view word) {
  return std::search(text.begin(), text.end(), word.begin(), word.end(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) ==
                  std::tolower(static_cast<unsigned char>(b));
         }) != text.end();
}

// A damaged packet's source types: every vocabulary URI in its text, read up to the first
// character a term cannot hold.
std::vector<std::string> source_types_in_text(std::string_view text) {
  std::vector<std::string> found;
  for (std::string_view vocabulary : {kSourceTypeVocabulary, kC2paVocabulary}) {
    for (size_t at = text.find(vocabulary); at != std::string_view::npos;
         at = text.find(vocabulary, at + 1)) {
      size_t end = at + vocabulary.size();
      while (end < text.size() && std::isalnum(static_cast<unsigned char>(text[end])) != 0) {
        ++end;
      }
      size_t start = at;
      const std::string_view https = "https://";
      const std::string_view http = "http://";
      if (start >= https.size() && text.substr(start - https.size(), https.size()) == https) {
        start -= https.size();
      } else if (start >= http.size() && text.substr(start - http.size(), http.size()) == http) {
        start -= http.size();
      }
      if (end > at + vocabulary.size()) {
        found.emplace_back(text.substr(start, end - start));
      }
    }
  }
  return found;
}

}  // namespace

bool names_ai(std::string_view digital_source_type) {
  return c2pa::ai_involvement(c2pa::parse_digital_source_type(digital_source_type)) !=
         c2pa::AiInvolvement::kNone;
}

PacketLabel read_packet_label(std::string_view packet) {
  PacketLabel label;
  if (std::all_of(packet.begin(), packet.end(),
                  [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; })) {
    return label;  // no packet
  }
  label.mentions_source_type = contains_ignoring_case(packet, "DigitalSourceType");
  ParseState state;
  if (packet.size() > kMaxPacketBytes) {
    label.damage = "the packet is larger than " + std::to_string(kMaxPacketBytes >> 20) + " MiB";
  } else {
    std::unique_ptr<XML_ParserStruct, decltype(&XML_ParserFree)> parser(
        XML_ParserCreateNS(nullptr, kSeparator), &XML_ParserFree);
    if (parser == nullptr) {
      label.damage = "out of memory";
      return label;
    }
    state.parser = parser.get();
    XML_SetUserData(parser.get(), &state);
    XML_SetElementHandler(parser.get(), on_start, on_end);
    XML_SetCharacterDataHandler(parser.get(), on_text);
    XML_SetStartDoctypeDeclHandler(parser.get(), on_doctype);
    XML_SetEntityDeclHandler(parser.get(), on_entity);
    // The XMP packet wrapper (<?xpacket ...?>) is a processing instruction: expat passes over it.
    if (XML_Parse(parser.get(), packet.data(), static_cast<int>(packet.size()), XML_TRUE) ==
            XML_STATUS_ERROR &&
        state.damage.empty()) {
      state.damage = std::string("not well-formed XML: ") +
                     XML_ErrorString(XML_GetErrorCode(parser.get())) + " (line " +
                     std::to_string(XML_GetCurrentLineNumber(parser.get())) + ", column " +
                     std::to_string(XML_GetCurrentColumnNumber(parser.get()) + 1) + ")";
    }
    label.damage = std::move(state.damage);
  }
  std::vector<std::string> types =
      label.damage.empty() ? std::move(state.source_types) : source_types_in_text(packet);
  if (!types.empty()) {
    auto ai = std::find_if(types.begin(), types.end(), [](const auto& t) { return names_ai(t); });
    label.digital_source_type = ai != types.end() ? *ai : types.front();
  }
  if (label.damage.empty()) {
    label.instance_id = std::move(state.instance_id);
  }
  return label;
}

}  // namespace clearcut::xmp
