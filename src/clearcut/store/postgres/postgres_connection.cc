#include "clearcut/store/postgres/postgres_connection.h"

#include <charconv>
#include <memory>

#include <libpq-fe.h>
#include <spdlog/spdlog.h>

namespace clearcut::store::postgres {
namespace {

using base::Error;
using base::ErrorCode;

// Type OIDs of the columns the schema uses (catalog/pg_type_d.h, not shipped with libpq).
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

// Canonical codes for SQLSTATEs (PostgreSQL manual, appendix A); the server's message, which
// may quote values, is only logged.
Error map_sqlstate(std::string_view state) {
  if (state == "23505") {
    return Error(ErrorCode::kAlreadyExists, "a unique key is already taken");
  }
  if (state == "23503") {
    return Error(ErrorCode::kNotFound, "a referenced row does not exist");
  }
  if (state == "P0001") {
    return Error(ErrorCode::kFailedPrecondition, "the database does not allow this change");
  }
  if (state.starts_with("23") || state.starts_with("22")) {
    return Error(ErrorCode::kInvalidArgument, "a value breaks a constraint of the database");
  }
  if (state == "40001" || state == "40P01" || state == "55P03" || state == "57014" ||
      state.starts_with("53")) {
    return Error(ErrorCode::kUnavailable, "the database is busy");
  }
  if (state.starts_with("08") || state.starts_with("57P")) {
    return Error(ErrorCode::kUnavailable, "the database connection was lost");
  }
  if (state == "XX001" || state == "XX002") {
    return Error(ErrorCode::kDataLoss, "the database reports corrupt data");
  }
  return Error(ErrorCode::kInternal, "database error");
}

void log_notice(void* /*arg*/, const char* message) {
  spdlog::debug("postgresql: {}", message);
}

}  // namespace

std::string number_placeholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 16);
  int n = 0;
  for (char c : sql) {
    if (c == '?') {
      out += '$';
      out += std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

base::Result<std::unique_ptr<PostgresConnection>> PostgresConnection::open(const std::string& url) {
  // Keywords before dbname are defaults the URL may override; client_encoding after it is
  // ours: every string crossing this interface is UTF-8.
  const char* keywords[] = {"connect_timeout", "application_name", "dbname", "client_encoding",
                            nullptr};
  const char* values[] = {"10", "clearcut", url.c_str(), "UTF8", nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr) {
    return Error(ErrorCode::kUnavailable, "cannot connect to PostgreSQL: out of memory");
  }
  std::unique_ptr<PostgresConnection> connection(new PostgresConnection(conn));
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string where;
    const char* host = PQhost(conn);
    const char* port = PQport(conn);
    if (host != nullptr && *host != '\0') {
      where = std::string(" at ") + host + (port != nullptr && *port != '\0' ? ":" : "") +
              (port != nullptr ? port : "");
    }
    spdlog::warn("postgresql: connect{}: {}", where, PQerrorMessage(conn));
    return Error(ErrorCode::kUnavailable, "cannot connect to PostgreSQL" + where);
  }
  PQsetNoticeProcessor(conn, log_notice, nullptr);
  const char* encoding = PQparameterStatus(conn, "server_encoding");
  if (encoding == nullptr || std::string_view(encoding) != "UTF8") {
    return Error(ErrorCode::kFailedPrecondition,
                 std::string("the PostgreSQL database's encoding is ") +
                     (encoding != nullptr ? encoding : "unknown") + "; clearcut needs UTF8");
  }
  // Bounded waits for row and advisory locks, like SQLite's busy timeout: a stuck holder makes
  // other writers fail with kUnavailable instead of hanging.
  CC_TRY(connection->execute("SET lock_timeout = '30s'"));
  return connection;
}

PostgresConnection::~PostgresConnection() {
  PQfinish(conn_);
}

base::Result<sql::SqlRows> PostgresConnection::query(std::string_view sql,
                                                     const std::vector<sql::SqlValue>& params) {
  // Text format for every parameter; integers and booleans say their type so that the server
  // need not guess, text leaves it to the column it meets.
  std::vector<std::string> storage(params.size());
  std::vector<const char*> values(params.size(), nullptr);
  std::vector<Oid> types(params.size(), 0);
  for (size_t i = 0; i < params.size(); ++i) {
    const sql::SqlValue& value = params[i];
    if (const auto* integer = std::get_if<int64_t>(&value)) {
      storage[i] = std::to_string(*integer);
      types[i] = kInt8Oid;
    } else if (const auto* text = std::get_if<std::string>(&value)) {
      if (text->find('\0') != std::string::npos) {
        return base::invalid_argument("text contains a NUL character");
      }
      storage[i] = *text;
    } else if (const auto* boolean = std::get_if<bool>(&value)) {
      storage[i] = *boolean ? "t" : "f";
      types[i] = kBoolOid;
    } else {
      continue;  // NULL
    }
    values[i] = storage[i].c_str();
  }
  std::string text = number_placeholders(sql);
  ResultPtr result(PQexecParams(conn_, text.c_str(), static_cast<int>(params.size()), types.data(),
                                values.data(), nullptr, nullptr, 0));
  ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    const char* state = result ? PQresultErrorField(result.get(), PG_DIAG_SQLSTATE) : nullptr;
    Error error = PQstatus(conn_) != CONNECTION_OK || state == nullptr
                      ? Error(ErrorCode::kUnavailable, "the database connection was lost")
                      : map_sqlstate(state);
    if (error.code() == ErrorCode::kAlreadyExists || error.code() == ErrorCode::kNotFound) {
      spdlog::debug("postgresql: {}", PQerrorMessage(conn_));
    } else {
      spdlog::warn("postgresql: {}", PQerrorMessage(conn_));
    }
    return error;
  }

  int rows = PQntuples(result.get());
  int columns = PQnfields(result.get());
  std::vector<Oid> column_types(static_cast<size_t>(columns));
  for (int c = 0; c < columns; ++c) {
    column_types[static_cast<size_t>(c)] = PQftype(result.get(), c);
  }
  sql::SqlRows out;
  out.reserve(static_cast<size_t>(rows));
  for (int r = 0; r < rows; ++r) {
    sql::SqlRow& row = out.emplace_back();
    row.reserve(static_cast<size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      if (PQgetisnull(result.get(), r, c)) {
        row.emplace_back();
        continue;
      }
      const char* data = PQgetvalue(result.get(), r, c);
      auto size = static_cast<size_t>(PQgetlength(result.get(), r, c));
      Oid type = column_types[static_cast<size_t>(c)];
      if (type == kInt8Oid || type == kInt4Oid || type == kInt2Oid) {
        int64_t integer = 0;
        auto [end, ec] = std::from_chars(data, data + size, integer);
        if (ec != std::errc() || end != data + size) {
          return base::internal_error("malformed integer from the database");
        }
        row.emplace_back(integer);
      } else if (type == kBoolOid) {
        row.emplace_back(size == 1 && data[0] == 't');
      } else {
        row.emplace_back(std::string(data, size));
      }
    }
  }
  return out;
}

base::Status PostgresConnection::execute(std::string_view sql) {
  std::string text(sql);
  ResultPtr result(PQexec(conn_, text.c_str()));
  ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) {
    // COMMIT of a transaction that failed earlier succeeds as a ROLLBACK.
    if (text == "COMMIT" && std::string_view(PQcmdStatus(result.get())) == "ROLLBACK") {
      return Error(ErrorCode::kFailedPrecondition, "the transaction was rolled back");
    }
    return {};
  }
  const char* state = result ? PQresultErrorField(result.get(), PG_DIAG_SQLSTATE) : nullptr;
  spdlog::warn("postgresql: {}", PQerrorMessage(conn_));
  if (PQstatus(conn_) != CONNECTION_OK || state == nullptr) {
    return Error(ErrorCode::kUnavailable, "the database connection was lost");
  }
  return map_sqlstate(state);
}

bool PostgresConnection::healthy() const {
  // Reusable only when connected and outside any transaction.
  return PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

}  // namespace clearcut::store::postgres
