import AmpfixCore
import Glibc
import SystemPackage
#if ClamAV
import CClamAV
#endif

extension DefinitionFiles {
    /// libclamav's word on an open definition file (trait ClamAV), nil in builds without it:
    /// `cl_cvdhead` always (512 bytes); `cl_cvdverify` when `verify` — it checks the body's MD5
    /// and the signature with the keys libclamav holds, and loads a verified file whole, so only
    /// a thorough diagnosis (--verbose, after a repair) asks it. The file is named by its open
    /// descriptor (/proc/self/fd), so libclamav reads the file ampfix checked.
    static func libraryWord(_ file: FileDescriptor, verify: Bool) -> Message? {
        #if ClamAV
        return ClamAVLibrary.word(on: "/proc/self/fd/\(file.rawValue)", verify: verify)
        #else
        return nil
        #endif
    }
}

#if ClamAV
enum ClamAVLibrary {
    /// libclamav's messages during one call (it reports the reason of a failure only there).
    nonisolated(unsafe) static var messages: [String] = []

    static let initialized: Bool = {
        cl_set_clcb_msg { _, _, message, _ in
            if let message { ClamAVLibrary.messages.append(String(cString: message).trimming()) }
        }
        return cl_init(UInt32(CL_INIT_DEFAULT)) == CL_SUCCESS
    }()

    static var version: String { String(cString: cl_retver()) }

    /// What libclamav says of the file: one clause of its evidence line.
    static func word(on path: String, verify: Bool) -> Message {
        guard initialized else { return .msg("libclamav \(version) could not be initialised") }
        guard access(path, R_OK) == 0 else { return .msg("libclamav: not asked (no /proc to name the open file by)") }
        messages = []
        guard let head = cl_cvdhead(path) else {
            return .joined([.msg("libclamav \(version): cannot read its header"), reason].compactMap { $0 }, separator: " ")
        }
        let header: Message = .msg("libclamav \(version): header read (version \(head.pointee.version), \(head.pointee.sigs) signatures)")
        cl_cvdfree(head)
        guard verify else { return .joined([header, .msg("not verified (--verbose verifies)")], separator: "; ") }
        messages = []
        let result = cl_cvdverify(path)
        if result == CL_SUCCESS { return .joined([header, .msg("verified (digest, signature, contents)")], separator: "; ") }
        let failed: Message = .msg("not verified: \(verbatim: String(cString: cl_strerror(result)))")
        return .joined([header, .joined([failed, reason].compactMap { $0 }, separator: " ")], separator: "; ")
    }

    /// The last error libclamav reported, in parentheses (its own words).
    static var reason: Message? {
        messages.last(where: { !$0.isEmpty }).map { .verbatim("(\($0))") }
    }
}
#endif
