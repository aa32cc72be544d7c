#pragma once
// The executor every coroutine and I/O object of the gateway runs on, named by its type: a
// worker's io_context. Asio's default, any_io_executor, is type-erased: every copy, comparison
// and dispatch goes through function pointers, several times per request.

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <tuple>

namespace switchyard {

using Executor = boost::asio::io_context::executor_type;

template <class T = void>
using Task = boost::asio::awaitable<T, Executor>;

using TcpSocket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, Executor>;
using TcpAcceptor = boost::asio::basic_socket_acceptor<boost::asio::ip::tcp, Executor>;
using TcpResolver = boost::asio::ip::basic_resolver<boost::asio::ip::tcp, Executor>;
using SteadyTimer = boost::asio::basic_waitable_timer<
    std::chrono::steady_clock, boost::asio::wait_traits<std::chrono::steady_clock>, Executor>;

// Completion tokens for Task coroutines: the result as it is, or as a tuple (error code first)
// for operations whose failures are expected.
inline constexpr boost::asio::use_awaitable_t<Executor> kUseAwaitable;
inline constexpr auto kUseTuple = boost::asio::as_tuple(kUseAwaitable);
// What a read awaited with kUseTuple gives: the error, and the bytes read.
using ReadResult = std::tuple<boost::system::error_code, size_t>;

}  // namespace switchyard
