// smtpspec — umbrella header.
#pragma once
#include "smtpspec/address.hpp"
#include "smtpspec/command.hpp"
#include "smtpspec/dsn.hpp"
#include "smtpspec/enhanced_status.hpp"
#include "smtpspec/extensions.hpp"
#include "smtpspec/json.hpp"
#include "smtpspec/options.hpp"
#include "smtpspec/reply.hpp"
#include "smtpspec/result.hpp"
#include "smtpspec/version.hpp"
