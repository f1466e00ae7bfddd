"""Client goals: what a client works toward (housing, work, health ...), opened and closed by staff."""
