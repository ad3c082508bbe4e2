use foldhash::HashMap;

/// An interned string: method names, reason phrases, user agents repeat a lot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sym(u32);

#[derive(Debug, Default)]
pub struct Interner {
    ids: HashMap<Box<str>, Sym>,
    strings: Vec<Box<str>>,
    /// Heap bytes of the two copies of each string and their entries.
    bytes: usize,
}

impl Interner {
    pub fn intern(&mut self, s: &str) -> Sym {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = Sym(self.strings.len() as u32);
        self.strings.push(s.into());
        self.ids.insert(s.into(), id);
        self.bytes += 2 * s.len() + 48;
        id
    }

    /// Heap bytes held, for the byte budget.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Interns bytes from a packet, replacing invalid UTF-8.
    pub fn intern_bytes(&mut self, b: &[u8]) -> Sym {
        match std::str::from_utf8(b) {
            Ok(s) => self.intern(s),
            Err(_) => self.intern(&String::from_utf8_lossy(b)),
        }
    }

    pub fn get(&self, sym: Sym) -> &str {
        self.strings.get(sym.0 as usize).map_or("", |s| s)
    }
}
