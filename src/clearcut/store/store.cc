#include "clearcut/store/store.h"

#include "clearcut/store/postgres/postgres_store.h"
#include "clearcut/store/sqlite/sqlite_store.h"

namespace clearcut::store {

base::Result<std::unique_ptr<Store>> open_store(const std::string& url, OpenMode mode) {
  std::unique_ptr<sql::SqlStore> store;
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    store = CC_TRY(postgres::open_postgres_store(url));
  } else if (url.starts_with("sqlite:")) {
    // sqlite:PATH; sqlite:///abs/path and sqlite://rel/path are read as URLs with no host.
    std::string path = url.substr(7);
    if (path.starts_with("//")) {
      path.erase(0, 2);
    }
    store = CC_TRY(sqlite::open_sqlite_store(path, mode));
  } else if (url.find("://") != std::string::npos) {
    return base::invalid_argument(
        "unsupported database URL: expected sqlite:PATH, a path, or postgresql://");
  } else {
    store = CC_TRY(sqlite::open_sqlite_store(url, mode));
  }
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace clearcut::store
