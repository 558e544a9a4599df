import CSepol

/// libsepol's CIL parser, for a syntax check of a module file. Its log handler is a plain C
/// function, so the messages go through a process-wide buffer; checks are rare and sequential.
enum CILSyntax {
    nonisolated(unsafe) static var messages: [String] = []

    /// What libsepol's CIL code logged while `body` ran: its one log handler is process-wide,
    /// and libsemanage compiles modules through it on commit.
    static func collecting<R>(_ body: () throws -> R) rethrows -> (R, [String]) {
        messages.removeAll()
        cil_set_log_handler { _, message in
            if let message { CILSyntax.messages.append(String(cString: message).trimming(" \n")) }
        }
        let result = try body()
        return (result, messages.filter { !$0.isEmpty })
    }

    static func check(_ bytes: [UInt8], name: String) -> String? {
        do { try SELinuxLibraries.loadSepol() } catch { return "\(error)" }
        let (result, logged) = collecting { () -> Int32 in
            var db: OpaquePointer?
            cil_db_init(&db)
            defer { cil_db_destroy(&db) }
            return bytes.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { cil_add_file(db, name, $0.baseAddress, $0.count) }
            }
        }
        return result == 0 ? nil : (logged.joined(separator: "; ").nonEmpty ?? "the CIL parser rejected it")
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
