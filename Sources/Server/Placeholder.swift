// Under construction in this session.
