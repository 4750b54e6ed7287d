#if canImport(Glibc)
    import Glibc
#endif

/// A loopback TCP port for a server this process is about to start.
package enum LoopbackPort {
    /// A loopback port nobody listens on now, chosen by the kernel (bind to port 0, read the port back):
    /// a random pick collides with the other servers of a parallel run. A random port in 20000…40000 when
    /// the kernel refuses.
    package static func free() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        return bound ? Int(UInt16(bigEndian: address.sin_port)) : Int.random(in: 20_000...40_000)
    }
}
